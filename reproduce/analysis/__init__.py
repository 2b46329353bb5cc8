"""What the runs say: Table I (`table1`), the paper's claims (`claims`), agreement under
readings (`sensitivity`), the noise floor of replicates (`noise`), ANOVA (`anova`),
generalisation (`generalise`), learning curves (`curves`), figures (`figures`) and
one report per results folder (`report`); `style` holds the order, titles and
colours they share."""
