"""Report layer: the council brief, figures and table exports.

texts (the words, one catalogue per language in texts/), numbers (number and date
formatting), style (colours, design and lever texts, names of financiers and outcomes),
canvas (the figure canvas and shared marks), findings (findings in words from the tables),
figures, trajectories, mkba (the societal cost-benefit table), pages (Jinja2 templates in
templates/), brief, export.
"""
