#!/usr/bin/python3
"""Writes a register of Swedish small firms for tests/test_goal.c.

Not a copy of any real register (the Swedish company register is not open
data): made up with a fixed seed, shaped as one is. 100 firms in each of
Sweden's 21 counties (NUTS level 3); each does one to three trades, drawn
from the trades of the real notices in tests/fixtures/real/published/ (at
their own level or their CPV group's) and from common small-firm trades;
serves its county, sometimes a neighbouring one too, or all of Sweden;
one in six works abroad too; one in ten reads English; turnovers from
0.5 to 80 million kronor, most of them small.

    tools/register.py > tests/fixtures/register/firms.csv
    tools/register.py --late > tests/fixtures/register/late.csv
"""
import random
import sys

COUNTIES = ["SE110", "SE121", "SE122", "SE123", "SE124", "SE125", "SE211",
            "SE212", "SE213", "SE214", "SE221", "SE224", "SE231", "SE232",
            "SE311", "SE312", "SE313", "SE321", "SE322", "SE331", "SE332"]
NOTICE_TRADES = """09121000 09300000 09310000 18400000 30192800 31224000
31682210 32412110 33622100 33622600 33652100 35100000 35400000 38000000
39151100 42611000 45000000 45110000 45200000 45212330 45230000 45236000
45300000 48820000 48900000 55000000 55400000 55520000 60140000 63710000
63712600 63721200 66512210 71000000 71200000 71240000 71250000 72212000
72262000 72415000 72500000 73210000 79610000 79713000 80500000 85310000
90500000 90511100 90511400 90911000 90911200 90919200 90919300
92610000""".split()
COMMON_TRADES = """45442100 45310000 45330000 45421000 45261000 77310000
90910000 55520000 60130000 71220000 72000000 79341000 80500000
50700000 45233000""".split()


# firms.csv: 100 a county; late.csv (--late): one a county, subscribing
# after the first pass, each working abroad too
PER_COUNTY = 1 if "--late" in sys.argv else 100


def group(code):
    return code[:3] + "00000" if code[2] != "0" else code


def orgnr(rng):
    # aktiebolag: 55, the third digit 2 or more; the last a Luhn check
    digits = [5, 5, rng.randint(2, 9)] + [rng.randint(0, 9) for _ in range(6)]
    total = 0
    for i, d in enumerate(digits):
        v = d * 2 if i % 2 == 0 else d
        total += v - 9 if v > 9 else v
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return s[:6] + "-" + s[6:]


def main():
    rng = random.Random(20261208 if "--late" in sys.argv else 20261207)
    seen = set()
    print("orgnr,name,email,cpv,regions,abroad,language,turnover,kinds")
    n = 0
    for ci, county in enumerate(COUNTIES):
        for _ in range(PER_COUNTY):
            o = orgnr(rng)
            while o in seen:
                o = orgnr(rng)
            seen.add(o)
            n += 1
            trades = set()
            for _ in range(rng.choice([1, 1, 2, 3])):
                if rng.random() < 0.6:
                    c = rng.choice(NOTICE_TRADES)
                    trades.add(group(c) if rng.random() < 0.5 else c)
                else:
                    trades.add(rng.choice(COMMON_TRADES))
            r = rng.random()
            if r < 0.1:
                regions = "SE"
            elif r < 0.3:
                other = COUNTIES[(ci + rng.choice([-1, 1])) % len(COUNTIES)]
                regions = county + " " + other
            else:
                regions = county
            abroad = "yes" if PER_COUNTY == 1 or rng.random() < 1 / 6 else "no"
            lang = "en" if rng.random() < 0.1 else "sv"
            turnover = int(min(80e6, max(5e5, rng.lognormvariate(15.4, 1.0))))
            turnover -= turnover % 100000
            name, box = ("Nytt", "nytt") if PER_COUNTY == 1 else ("Företag", "firma")
            print(f"{o},{name} {n:04d} AB,{box}{n:04d}@register.example,"
                  f"{' '.join(sorted(trades))},{regions},{abroad},{lang},"
                  f"{turnover},")


main()
