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
