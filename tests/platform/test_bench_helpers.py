"""The benchmark's pure helpers (the benchmark itself runs with `make bench`, never in `make test`)."""

from bench.run import RUNS_MARKER, insert_run, markdown_table, parse_args, percentile, server_time_ms


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([3.0, 1.0, 2.0], 100) == 3.0


def test_server_time_is_read_from_the_server_timing_header():
    assert server_time_ms("app;dur=12.5, db;dur=3.0") == 12.5
    assert server_time_ms("db;dur=3.0, app;dur=7") == 7.0
    assert server_time_ms("") is None


def test_each_run_is_inserted_newest_first_below_the_marker():
    document = insert_run("# Performance\n\nIntro.\n", "## Run 1\n")
    document = insert_run(document, "## Run 2\n")
    assert document.index(RUNS_MARKER) < document.index("## Run 2") < document.index("## Run 1")
    assert document.startswith("# Performance\n\nIntro.")


def test_markdown_table():
    assert markdown_table(["a", "b"], [[1, 2]]) == "| a | b |\n| --- | --- |\n| 1 | 2 |"


def test_the_loadtest_flag_and_defaults():
    args = parse_args(["--loadtest", "--tool", "python"])
    assert args.loadtest and args.clients == 20 and args.load_seconds == 15 and args.tool == "python"
    assert args.database_url.startswith("postgres")


def test_a_page_under_load_is_measured_against_its_target():
    from collections import Counter

    from bench.run import Load, load_met, mean_load

    ping = mean_load([Load("ping", 20, 20, 2000, 100.0, 5, 40, Counter({200: 2000}), 0)] * 2)
    assert ping.rps == 100.0 and ping.requests == 4000
    fast = Load("list", 20, 20, 600, 30.0, 50, 120, Counter({200: 600}), 0, target=0.25)
    slow = Load("list", 20, 20, 200, 10.0, 150, 400, Counter({200: 200}), 0, target=0.25)
    assert load_met(fast, ping.rps) == "yes"
    assert load_met(slow, ping.rps) == "no: 0.10×, p95 400 ms"


# --- At scale: every page at 1× and N× (bench/at_scale.py) -------------------------------------------------


def figures(median, p95, *queries):
    from bench.at_scale import Figures

    return Figures(median, p95, frozenset(queries))


def test_flat_means_the_grown_median_within_one_and_a_half_times_the_first():
    from bench.at_scale import flat

    assert flat(10.0, 15.0)
    assert not flat(10.0, 15.1)
    assert flat(10.0, 4.0)  # faster is flat too


PROVINCE_RUN = """# Performance

## Run of 2026-12-01 16:19 +0000 — scale `nation`

| page | user | server median ms | queries | rendered: queries |
| --- | --- | --- | --- | --- |
| Trang trung tâm | demo_xa | 1.0 | 3, 25 | 25 |

## Run of 2026-12-01 15:38 +0000 — scale `province`

Machine: 2 CPU, PostgreSQL 15.20; gunicorn 5 workers, DJANGO_DEBUG=0, on loopback; commit 781e3d6.

| page | user | server median ms | queries | rendered: queries | < 15 ms |
| --- | --- | --- | --- | --- | --- |
| Trang trung tâm | demo_xa | 2.1 | 3, 16 | 15 | no |
| Lưu điểm danh 60 học viên | demo_xa | 15.0 | 8 |  | no |

### Plain SQL for comparison

| query | median ms |
| --- | --- |
| x | 1.0 |

## Run of 2026-11-24 12:33 +0000 — scale `province`

| page | user | server median ms | queries | rendered: queries | < 15 ms |
| --- | --- | --- | --- | --- | --- |
| Trang trung tâm | demo_xa | 2.1 | 3, 99 | 99 | no |
"""


def test_the_queries_at_province_scale_come_from_the_newest_province_run():
    from bench.at_scale import province_queries

    found = province_queries(PROVINCE_RUN)
    assert found == {
        ("Trang trung tâm", "demo_xa"): frozenset({15}),  # rendered, of the newest province run
        ("Lưu điểm danh 60 học viên", "demo_xa"): frozenset({8}),  # a POST: its queries
    }
    assert province_queries("# Performance\n") == {}


def test_a_province_run_is_compared_only_when_it_names_a_clean_commit():
    from bench.at_scale import province_commit, province_run

    assert province_run(PROVINCE_RUN) == "Run of 2026-12-01 15:38 +0000 — scale `province`"
    assert province_commit(PROVINCE_RUN) == "781e3d6"
    assert province_commit(PROVINCE_RUN.replace("781e3d6.", "781e3d6 with uncommitted changes.")) is None
    assert province_commit(PROVINCE_RUN.replace("; commit 781e3d6", "")) is None


def test_the_table_shows_both_sizes_the_ratio_to_the_aggregate_flatness_and_the_province_queries():
    from bench.at_scale import PageAtScale, pages_table

    pages = [
        PageAtScale("Trang trung tâm", "demo_xa", figures(10.0, 12.0, 25), figures(20.0, 30.0, 25)),
        PageAtScale("Bảng số liệu toàn quốc", "demo_bo", figures(8.0, 9.0, 4), figures(10.0, 11.0, 4)),
    ]
    table = pages_table(
        pages, factor=4, sql_one_ms=1000.0, sql_many_ms=4000.0, province={("Trang trung tâm", "demo_xa"): {15}}
    )
    lines = table.splitlines()
    assert "flat (4× median ≤ 1.5× the 1× median)" in lines[0]
    assert lines[2] == (
        "| Trang trung tâm | demo_xa | 10.0 | 12.0 | 25 | 20.0 | 30.0 | 25 | 0.0100 | 0.0050 | no | no: 15 |"
    )
    assert (
        lines[3] == "| Bảng số liệu toàn quốc | demo_bo | 8.0 | 9.0 | 4 | 10.0 | 11.0 | 4 | 0.0080 | 0.0025 | yes |  |"
    )


def test_the_targets_say_what_is_met_and_what_is_not():
    from bench.at_scale import PageAtScale, verdicts

    pages = [
        PageAtScale("Bảng số liệu toàn quốc", "demo_bo", figures(8.0, 9.0, 4), figures(10.0, 11.0, 4)),
        PageAtScale("Lưu điểm danh 60 học viên", "demo_xa", figures(12.0, 14.0, 8), figures(16.0, 20.0, 8)),
        PageAtScale("Trang trung tâm", "demo_xa", figures(10.0, 12.0, 25), figures(11.0, 12.0, 25)),
    ]
    export = {"rows_per_s": 12000.0, "maxrss_delta_mb": 6.0}
    lines = verdicts(
        pages,
        factor=4,
        sql_one_ms=1000.0,
        sql_many_ms=4000.0,
        national="Bảng số liệu toàn quốc",
        save_prefix="Lưu điểm danh",
        province={("Lưu điểm danh 60 học viên", "demo_xa"): frozenset({8}), ("Trang trung tâm", "demo_xa"): {15}},
        exports=(export, {"rows_per_s": 9000.0, "maxrss_delta_mb": 80.0}),
    )
    national, save, exported, queries = lines
    assert national.startswith("national dashboard ≤ 0.01 × the plain aggregate: 0.0080 at 1×, 0.0025 at 4×: met")
    assert national.endswith("flat (8.0 → 10.0 ms): met")
    assert "16.0 ms at 4×: NOT MET" in save and save.endswith("queries 8 (province scale: 8): met")
    assert "9,000 at 4×: NOT MET" in exported and exported.endswith("6.0 → 80.0 MB, ≤ +50 MB): NOT MET")
    assert queries == "queries as at province scale: 1 of 2 pages the same (differ: Trang trung tâm (demo_xa)): NOT MET"


def test_counts_and_export_tables():
    from bench.at_scale import Counts, counts_table, export_table

    assert counts_table([("1×", Counts(34, 13372, 900, 8000, 250000))]).splitlines()[2] == (
        "| 1× | 34 | 13,372 | 900 | 8,000 | 250,000 |"
    )
    row = {"rows": 20459, "seconds": 2.0, "rows_per_s": 10229.5, "maxrss_delta_mb": 6.14, "maxrss_mb": 78.2,
           "file_mb": 1.44, "read_db": "replica"}  # fmt: skip
    assert export_table([("4×", row)]).splitlines()[2] == "| 4× | 20,459 | 2.00 | 10,230 | 6.1 | 78 | 1.4 | replica |"


def test_nation_options():
    args = parse_args(["--scale", "nation", "--provinces", "2", "--no-replica"])
    assert args.provinces == 2 and args.replica is False
    assert parse_args(["--scale", "province"]).replica is False  # the replica phase is the nation's by default


def test_counter_deltas_of_the_replica_phase():
    from bench.replica_bench import delta

    assert delta((10, 500, 0), (14, 9500, 0)) == (4, 9000, 0)


def test_the_nation_has_its_own_default_database(monkeypatch):
    from bench.run import DEFAULT_DATABASE_URL, NATION_DATABASE_URL

    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert parse_args(["--scale", "nation", "--no-replica"]).database_url == NATION_DATABASE_URL
    assert parse_args(["--scale", "province"]).database_url == DEFAULT_DATABASE_URL
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/elsewhere")
    assert parse_args(["--scale", "nation", "--no-replica"]).database_url.endswith("/elsewhere")
