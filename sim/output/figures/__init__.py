"""The figures of a results set, one module per subject; :class:`sim.output.plots.ResultPlots`
bundles them. Each drawing function takes the results and the texts (a language of
:data:`~sim.output.figures.text.LABELS` or overrides), gets its numbers from
:mod:`sim.analysis.figure_data` and only draws them."""
