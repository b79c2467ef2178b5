"""Makes nrn_cases.tsv: NRN/BIS numbers with python-stdnum's verdict, the reference for validity.

    pip install python-stdnum && python3 tests/data/make_nrn_cases.py > tests/data/nrn_cases.tsv

stdnum asks the clock for today's year (a 2000s check only counts once that year has come), so
the date is fixed here and written in the file's first line; the Rust test passes the same date.
"""
import datetime
import random
import sys
import types

import stdnum
from stdnum.be import bis, nn

TODAY = datetime.date(2026, 11, 28)


class FixedDate(datetime.date):
    @classmethod
    def today(cls):
        return TODAY


nn.datetime = types.SimpleNamespace(date=FixedDate)


def verdict(number):
    return nn.is_valid(number) or bis.is_valid(number)


def with_check(first9, born_2000s):
    base = 2_000_000_000 + first9 if born_2000s else first9
    return "%09d%02d" % (first9, 97 - base % 97)


rng = random.Random(97)
cases = []


def add(n):
    cases.append(n)


def first9(yy, mm, dd, seq):
    return yy * 10_000_000 + mm * 100_000 + dd * 1000 + seq


# Valid-looking numbers of both centuries, NN and BIS months.
for _ in range(450):
    yy, dd, seq = rng.randrange(100), rng.randrange(1, 32), rng.randrange(1, 999)
    mm = rng.choice([rng.randrange(1, 13), rng.randrange(1, 13) + 20, rng.randrange(1, 13) + 40])
    add(with_check(first9(yy, mm, dd, seq), rng.random() < 0.35))
# The same with one digit changed, or the check digits of the other century.
for n in list(cases[:200]):
    i = rng.randrange(11)
    add(n[:i] + str((int(n[i]) + rng.randrange(1, 10)) % 10) + n[i + 1:])
for n in list(cases[:100]):
    add(with_check(int(n[:9]), not nn.is_valid(n)))
# Random digits.
for _ in range(250):
    add("%011d" % rng.randrange(10**11))
# Edges: months, days, unknown dates, the 2000s boundary around today's year, zeros.
for mm in [0, 12, 13, 19, 20, 21, 32, 33, 39, 40, 52, 53, 59, 60, 80, 99]:
    for born in (False, True):
        add(with_check(first9(rng.randrange(27), mm, 15, 123), born))
        add(with_check(first9(80 + rng.randrange(20), mm, 15, 123), born))
for dd in [0, 29, 30, 31, 32, 99]:
    for mm in [2, 4, 12]:
        add(with_check(first9(88, mm, dd, 45), False))
        add(with_check(first9(4, mm, dd, 45), True))
for prefix in ["000001", "002001", "004001", "000000", "000101", "002101"]:
    for seq in [1, 2, 998]:
        for born in (False, True):
            add(with_check(int(prefix) * 1000 + seq, born))
for yy in [0, 1, 24, 25, 26, 27, 28, 99]:
    for born in (False, True):
        add(with_check(first9(yy, 6, 15, 77), born))
add("00000000000")
add("00000000097")
add("00000000197")
add("99999999999")
# 2020-02-29 exists, 2021-02-29 does not (stdnum then treats the day as unknown, still valid).
add(with_check(first9(20, 2, 29, 10), True))
add(with_check(first9(21, 2, 29, 10), True))

seen = set()
rows = []
for n in cases:
    if n in seen:
        continue
    seen.add(n)
    rows.append("%s\t%d" % (n, 1 if verdict(n) else 0))
sys.stdout.write(
    "# today=%s python-stdnum=%s cases=%d (number<TAB>1 valid, 0 invalid)\n"
    % (TODAY.isoformat(), stdnum.__version__, len(rows))
)
sys.stdout.write("\n".join(rows) + "\n")
