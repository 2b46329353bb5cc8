"""What the runs say: Table I (`table1`), the paper's claims (`claims`), Figure 6's
mechanisms over retrained networks (`mechanisms`), agreement under readings
(`sensitivity`), the noise floor of replicates (`noise`), ANOVA (`anova`),
generalisation (`generalise`), learning curves (`curves`), figures (`figures`) and
one report per results folder (`report`); `style` holds the order, titles, colours
and thresholds they share."""
