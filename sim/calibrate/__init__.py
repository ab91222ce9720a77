"""Calibration from a centre's own records: the queue-ticket kiosk's log and the one-door
system's dossier export are read, checked row by row, fitted into a scenario (`sim calibrate`),
and the model is set against a period it was not fitted on (`sim backtest`).

The layer sits above the experiment (a backtest runs replications) and below decisions and
output; `sim.calibrate.example` generates the bundled example records from a known ward centre.
"""
