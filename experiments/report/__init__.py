"""Report layer: house style, figures, the council brief and table exports."""
