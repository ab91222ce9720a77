"""Example records from a known ward centre (scenarios/records/ward_truth.yaml).

The centre is simulated by `sim` itself; its visits become the kiosk's ticket log
(`kiosk`), its dossiers the one-door system's export (`portal`), and both are written the way
one vendor exports them, with its own column names and codes, day-first dates and a few bad
rows (`vendor`), beside the mapping file that reads them (`codes`). `generate` does it all;
`python -m sim.calibrate.example --out DIR` writes the files.
"""
