"""Reading prose: sentences and lines of the section tree with code masked, placeholders,
negation and hedging, and fast literal search. Facts and checks read plan text through it."""
