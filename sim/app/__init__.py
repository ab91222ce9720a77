"""`sim app`: a local page where a leader moves sliders (counters per desk and time block,
opening hours, Saturday mornings, back-office staff) and sees the waits, the share served in
time and the dossiers on time beside the baseline, then saves the setting as an option.

A layer of its own between the Python API and the command line: the page runs experiments
through the API and writes options with the staffing search's writer; `sim app` starts it.
"""
