"""Running the grid: one run's configuration (`config`), the grids (`profiles`), the
readings of the protocol (`readings`), building and training runs on either engine
(`engines`, `batching`), and sweeping a grid into a store (`sweep`, `workers`)."""
