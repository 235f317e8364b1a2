"""Monthly report: the whole city's report for one month over 1,000,000 villagers and 200,000
placements in PostgreSQL, against one plain SQL query counting that month's placements per
county (--quick: a tenth of the data).

Data (generated in SQL with generate_series, then VACUUM ANALYZE, as autovacuum leaves a
running database: visibility maps set, so index-only scans read no table): villagers spread
over the programme's townships and registered over 2025-2026; 200 postings of every
destination; 200,000 placements departed over the same two years (5% of them came home),
10,000 more confirmed and waiting, 100,000 more interested, shortlisted, rejected or
withdrawn (applications made over the two years: the success rates); 150,000 completed
trainings; 200,000 answered check-ins; 5,000 cases, half resolved; a pay check for each
month from 2026-08 to 2026-11 of every placement working then (about 100,000 a month: 70%
paid in full, 20% part or none with an amount, 10% unanswered), and their totals per month
and township as the app keeps them (pay_check_totals; filled here as migration 0027 does).

Measured: `smsgateway.figures.reports.monthly(session, "lincang", "2026-10", ...)`, as the API
runs it (every figure of the city and its eight counties, year-to-date figures and targets, the
success and stability rates per area and agency), and the
floor `SELECT county, count(*) FROM applications JOIN villagers JOIN areas WHERE departed_at
in the month GROUP BY county`, each run 7 times after a warm-up; medians are compared.
Target: the report within 5x the floor.
"""

from __future__ import annotations

import statistics
import time

import _common as c

MONTH, TIMEZONE = "2026-10", "Asia/Shanghai"

SEED = """
INSERT INTO agencies (id, name, licence_number, licence_expires, suspended, created_at)
  VALUES (1, 'Bench agency', 'BENCH-1', '2030-01-01', false, now());
INSERT INTO employers (id, name, city, province, created_at)
  VALUES (1, 'Bench employer', 'Dongguan', 'Guangdong', now());
INSERT INTO postings (id, title_zh, title_en, employer_id, agency_id, area_id, trade,
    destination_city, destination_province, destination, wage_min, wage_max, hours_per_day,
    days_per_week, contract_months, positions, confirmed, age_min, age_max, skills_required,
    training_required, food, housing, worker_fee, travel_advance, deadline, status,
    created_at, updated_at)
  SELECT i, '岗位' || i, 'Job ' || i, 1, 1, (SELECT id FROM areas WHERE code = 'yongde'),
    'factory', 'City ' || i, (ARRAY['Yunnan', 'Guangdong', 'Zhejiang', 'Jiangsu'])[1 + i % 4],
    (ARRAY['within_city', 'in_province', 'outside_province'])[1 + i % 3],
    3000 + i % 7 * 200, 4000 + i % 7 * 300, 8, 6, 6 + i % 7, 1000, 0, 16, 60, '[]', false,
    true, true, 0, false, '2026-12-31', 'published', now(), now()
  FROM generate_series(1, 200) AS i;
CREATE TEMP TABLE townships AS
  SELECT array_agg(id ORDER BY id) AS ids FROM areas WHERE level = 'township';
INSERT INTO contacts (id, phone, language, opted_out, created_at)
  SELECT i, '+86137' || lpad(i::text, 8, '0'), CASE WHEN i % 10 = 0 THEN 'en' ELSE 'zh' END,
    false, now()
  FROM generate_series(1, :villagers) AS i;
INSERT INTO villagers (id, contact_id, name, sex, birth_year, township_id, outside_province,
    sms_consent, registered_via, created_at, updated_at)
  SELECT i, i, '村民' || i, CASE WHEN i % 2 = 0 THEN 'm' ELSE 'f' END, 1970 + i % 35,
    t.ids[1 + i % cardinality(t.ids)], i % 3 = 0, true, 'sms',
    timestamptz '2025-01-01' + (i % 729) * interval '1 day' + (i % 86400) * interval '1 second',
    now()
  FROM generate_series(1, :villagers) AS i, townships AS t;
INSERT INTO applications (id, posting_id, villager_id, township_id, status, via, created_at,
    updated_at, departed_at, returned_at)
  SELECT i, 1 + i % 200, v.id, v.township_id, 'departed', 'sms',
    timestamptz '2025-01-01' + (i % 729) * interval '1 day' - interval '20 days', now(),
    timestamptz '2025-01-01' + (i % 729) * interval '1 day' + (i % 3600) * interval '1 second',
    CASE WHEN i % 20 = 0 THEN timestamptz '2025-03-01' + (i % 660) * interval '1 day' END
  FROM generate_series(1, :placements) AS i JOIN villagers AS v ON v.id = i * 4;
INSERT INTO applications (id, posting_id, villager_id, township_id, status, via, created_at,
    updated_at)
  SELECT :placements + i, 1 + i % 200, v.id, v.township_id, 'confirmed', 'sms',
    timestamptz '2025-01-01' + (i % 729) * interval '1 day', now()
  FROM generate_series(1, :placements / 20) AS i JOIN villagers AS v ON v.id = i * 4 + 1;
INSERT INTO applications (id, posting_id, villager_id, township_id, status, via, created_at,
    updated_at)
  SELECT :placements * 2 + i, 1 + i % 200, v.id, v.township_id,
    (ARRAY['interested', 'rejected', 'withdrawn', 'shortlisted'])[1 + i % 4], 'sms',
    timestamptz '2025-01-01' + (i % 729) * interval '1 day', now()
  FROM generate_series(1, :placements / 2) AS i JOIN villagers AS v ON v.id = i * 4 + 2;
INSERT INTO training_sessions (id, trade, township_id, start_date, end_date, capacity, taken,
    status, created_at, updated_at)
  SELECT 1, 'factory', t.ids[1], '2025-01-01', '2026-12-31', 1000000, 0, 'open', now(), now()
  FROM townships AS t;
INSERT INTO training_enrolments (id, session_id, villager_id, township_id, status, via,
    created_at, updated_at, completed_at)
  SELECT i, 1, i * 6 + 2, v.township_id, 'completed', 'sms', now(), now(),
    timestamptz '2025-01-01' + (i % 729) * interval '1 day'
  FROM generate_series(1, :placements * 3 / 4) AS i JOIN villagers AS v ON v.id = i * 6 + 2;
INSERT INTO checkins (id, application_id, township_id, number, due_at, sent_at, last_sent_at,
    reminders, answer, answered_at, closed_at)
  SELECT i, i, a.township_id, 0, a.departed_at, a.departed_at, a.departed_at, 0, 1,
    a.departed_at + interval '3 days', a.departed_at + interval '3 days'
  FROM generate_series(1, :placements) AS i JOIN applications AS a ON a.id = i;
INSERT INTO cases (id, villager_id, area_id, application_id, category, description,
    anonymous, via, status, created_at)
  SELECT i, v.id, v.township_id, i * 40, 'wages_unpaid', 'no pay', false, 'sms',
    CASE WHEN i % 2 = 0 THEN 'resolved' ELSE 'open' END,
    timestamptz '2025-01-01' + (i % 729) * interval '1 day'
  FROM generate_series(1, :placements / 40) AS i JOIN villagers AS v ON v.id = i * 160;
INSERT INTO case_events (id, case_id, at, action, status)
  SELECT id, id, created_at + interval '2 days', 'status', 'resolved'
  FROM cases WHERE status = 'resolved';
INSERT INTO pay_checks (id, application_id, township_id, period, asked_at, answer,
    answered_at, missing_amount)
  SELECT row_number() OVER (), a.id, a.township_id, p.period, p.asked,
    CASE WHEN a.id % 10 = 0 THEN NULL WHEN a.id % 10 < 8 THEN 'full'
         WHEN a.id % 10 = 8 THEN 'part' ELSE 'none' END,
    CASE WHEN a.id % 10 <> 0 THEN p.asked + interval '1 day' END,
    CASE WHEN a.id % 10 IN (8, 9) THEN 500 + a.id % 7 * 100 END
  FROM applications AS a, (VALUES
    ('2026-08', timestamptz '2026-09-11 02:00+00', timestamptz '2026-08-31 16:00+00'),
    ('2026-09', timestamptz '2026-10-11 02:00+00', timestamptz '2026-09-30 16:00+00'),
    ('2026-10', timestamptz '2026-11-11 02:00+00', timestamptz '2026-10-31 16:00+00'),
    ('2026-11', timestamptz '2026-12-11 02:00+00', timestamptz '2026-11-30 16:00+00'))
    AS p(period, asked, paid_in)
  WHERE a.status = 'departed' AND a.departed_at < p.paid_in AND a.returned_at IS NULL;
INSERT INTO pay_check_totals (period, township_id, asked, answered, paid_in_full,
    missing_amount)
  SELECT period, township_id, count(*), count(answer),
    sum(CASE WHEN answer = 'full' THEN 1 ELSE 0 END), coalesce(sum(missing_amount), 0)
  FROM pay_checks GROUP BY period, township_id;
"""

FLOOR = """
SELECT t.parent_id AS county, count(*) FROM applications AS a
  JOIN villagers AS v ON v.id = a.villager_id
  JOIN areas AS t ON t.id = v.township_id
WHERE a.departed_at >= :start AND a.departed_at < :end
GROUP BY t.parent_id
"""


def seed(url: str, villagers: int, placements: int) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as db:
        for statement in (s.strip() for s in SEED.split(";") if s.strip()):
            db.execute(text(statement), {"villagers": villagers, "placements": placements})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        db.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def timed(run, times: int = 7) -> tuple[float, object]:
    run()  # warm-up: caches, plans
    spent, result = [], None
    for _ in range(times):
        started = time.perf_counter()
        result = run()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent), result


def main() -> None:
    args = c.arguments(__doc__)
    if not args.database_url:
        raise SystemExit("this benchmark needs --database-url of a THROWAWAY PostgreSQL "
                         "database (the target is measured on PostgreSQL)")
    villagers, placements = (100_000, 20_000) if args.quick else (1_000_000, 200_000)
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from smsgateway.db import make_engine
    from smsgateway.figures.reports import add_pay_check_figures, month_bounds, monthly

    with c.temp_dir() as folder:
        url = c.database(folder, args.database_url)
        started = time.perf_counter()
        seed(url, villagers, placements)
        print(f"Monthly report of the city for {MONTH}: {villagers:,} villagers, "
              f"{placements:,} placements; data generated in {time.perf_counter() - started:.0f} s")
        engine = make_engine(url)  # the connection settings the app runs with
        start, end = month_bounds(MONTH, TIMEZONE)
        with Session(engine) as session:
            ours, report = timed(lambda: monthly(session, "lincang", MONTH, TIMEZONE))
            pay, _ = timed(lambda: add_pay_check_figures(session, {}, MONTH))
        with engine.connect() as db:
            floor, rows = timed(lambda: db.execute(text(FLOOR), {"start": start,
                                                                 "end": end}).all())
            counted = db.execute(text(  # what the totals stand for, counted (not timed)
                "SELECT count(*), count(answer), coalesce(sum(missing_amount), 0) "
                "FROM pay_checks WHERE period = :month"), {"month": MONTH}).one()
        engine.dispose()
    city = report["rows"][0]
    assert city["placed"] == sum(n for _, n in rows), "the report and the floor disagree"
    assert (city["pay_checks_asked"], city["pay_checks_answered"],
            city["pay_missing_amount"]) == tuple(counted), "the totals and the pay checks differ"
    print(f"  report (every figure, year to date, targets): {ours * 1000:8.1f} ms "
          f"(placed {city['placed']}, registered {city['registered']})")
    print(f"  pay checks of {MONTH}: asked {city['pay_checks_asked']}, answered "
          f"{city['pay_checks_answered']}, unanswered {city['pay_checks_unanswered']}, paid in "
          f"full {city['paid_in_full']}, reported missing {city['pay_missing_amount']:,} yuan; "
          f"read from their totals in {pay * 1000:.1f} ms")
    print(f"  with the rates: applied {city['applied']}, success {city['success_rate']}%, "
          f"departed of confirmed {city['departure_rate']}%, stability at 3 months "
          f"{city['stability_3m']}% of {city['departed_3m']}, at 6 months "
          f"{city['stability_6m']}% of {city['departed_6m']}; {len(report['agencies'])} "
          "agencies")
    print(f"  floor (placements per county, plain SQL):      {floor * 1000:8.1f} ms")
    ratio = ours / floor
    print(f"  ratio {ratio:.1f}x the floor's time (target <= 5x): {c.verdict(ratio <= 5)}")


if __name__ == "__main__":
    main()
