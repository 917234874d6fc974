"""`ketensim explore`: a live page to watch a municipality week by week, move a lever,
and read a finished comparison."""
