"""The plausible range of every number a scenario gives, in one place.

A number outside its range is a typo or a test of the tool, never a centre: refusing it at load
keeps every sampled value finite (no NaN, no overflow, no numpy warning) and every run bounded.
docs/scenario-format.md lists the same ranges; the schema's constraints and its JSON Schema are
built from these constants.
"""

from __future__ import annotations

import datetime as dt

EARLIEST_DATE = dt.date(2000, 1, 1)  # every date and moment of a scenario
LATEST_DATE = dt.date(2100, 12, 31)

MAX_RUN_DAYS = 2_000  # calendar.working_days
MAX_COUNTERS = 500  # counters of a desk; back-office staff
MAX_GUIDES = 100  # guides of a site
MAX_TRIPS = 100
MAX_DEADLINE_DAYS = 365  # a procedure's deadline and a backlog's spread, in working days
MAX_BACKLOG = 1_000_000  # dossiers of one backlog entry

MAX_PER_DAY = 100_000  # visitors on an ordinary working day
MAX_PER_HOUR = 5_000  # visitors per open hour
MAX_INTENSITY = 1_000_000  # a profile's relative intensity (only ratios matter)
MAX_FACTOR = 100  # a weekday factor, a surge factor, and overlapping surges multiplied
MAX_ONLINE_SHARE = 0.99  # 99 online dossiers for each in-person one

MAX_MINUTES = 10_080  # a week: service, patience, guidance, an outage, wait targets
MAX_STAFF_HOURS = 1_000  # back-office work of one dossier
MAX_WORKING_DAYS = 1_000  # about four years: hand-off delays, days left, lateness target
MIN_CV, MAX_CV = 0.01, 10  # coefficient of variation of lognormal and gamma

MAX_SERVICE_FACTOR = 10  # one slowdown or slow outage
MAX_COMBINED_SLOWDOWN = 1_000  # overlapping slowdowns multiply up to this, no further
MAX_OUTAGES_PER_DAY = 50  # random outages of one entry, per opening day
MIN_CHUNK_MINUTES, MAX_CHUNK_MINUTES = 1, 1_440  # counter_first pieces: at least a minute
MAX_OVERDUE = 10_000_000  # the overdue target, in dossiers
MAX_INQUIRIES_PER_DAY = 10  # inquiries per transferred dossier per working day

MAX_YAML_DEPTH = 40  # levels of nesting in a YAML file
MAX_YAML_NODES = 100_000  # values in a YAML file, counting what every alias stands for

MAX_CALL_CYCLE = 100  # tickets.every: one priority call in at most this many
MAX_SLOT_MINUTES = 1_440  # an appointment slot: at most a day
MAX_BOOKING_DAYS = 365  # how far ahead a slot may be booked, in opening days
MAX_PUNCTUALITY_MINUTES = 1_440  # a booked citizen comes at most a day early or late
