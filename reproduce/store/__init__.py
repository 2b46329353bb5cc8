"""Where the runs are kept: the SQLite results store (`database`), its committed form
(`runs_csv`) and the choice of runs a table is made of (`selection`)."""
