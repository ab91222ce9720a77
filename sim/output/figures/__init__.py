"""The figures of a results set, one module per subject; :class:`sim.output.plots.ResultPlots`
bundles them. Each drawing function takes the results and the texts (a language of
:data:`~sim.output.translations.LANGUAGES` or overrides: :mod:`sim.output.figures.text`), gets
its numbers from :mod:`sim.analysis.figure_data` and only draws them."""
