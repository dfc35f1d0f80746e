"""Tools for the people who maintain kb, kept out of the runtime package: the benchmark, the corpus
generator, the search load test, relevance measurement and the dependency audit.

`kb` never imports them; `scripts/bench`, `scripts/relevance` and `scripts/audit` run them."""
