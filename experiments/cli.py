"""The `ketensim` command: `run` (one simulation), `compare` (the designs side by side),
`calibrate` (fit the behaviour to Dutch targets) and `validate` (the validation report)."""

from __future__ import annotations

import sys

USAGE = """usage: ketensim <command> [key=value ...]   (ketensim --version: the version)

commands:
  run       simulate one municipality under one design      (ketensim run --help)
  compare   all designs x replications, figures and a brief  (ketensim compare --help)
  calibrate fit the behaviour to the Dutch targets           (ketensim calibrate --help)
  validate  targets and age profiles against Dutch data      (ketensim validate --help)
  sensitivity  Morris, Sobol, tornado, scenario discovery    (ketensim sensitivity --help)
  plan      print the week's plan: the stages in order
  explore   an interactive page: watch the weeks, read results (ketensim explore --help)"""


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a sub-command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["--version"], ["-V"], ["version"]):
        from sim.run import __version__, git_commit

        commit = git_commit()
        print(f"ketensim {__version__}" + (f" (git {commit})" if commit != "unknown" else ""))
        return 0
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        from sim.cli import run_command

        return run_command(rest)
    if command == "plan":
        from sim.cli import plan_command

        return plan_command(rest)
    if command == "compare":
        from experiments.compare import compare_command

        return compare_command(rest)
    if command == "sensitivity":
        from experiments.sensitivity.command import sensitivity_command

        return sensitivity_command(rest)
    if command == "explore":
        from experiments.explore.command import explore_command

        return explore_command(rest)
    if command == "calibrate":
        from experiments.calibration.calibrate import calibrate_command

        return calibrate_command(rest)
    if command == "validate":
        from experiments.calibration.validate import validate_command

        return validate_command(rest)
    print(
        f"ketensim: error: unknown command '{command}'; "
        "allowed: run, compare, calibrate, validate, sensitivity, plan, explore",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
