"""The web site: Flask pages and a JSON API over the same kb functions as the command line.

`create_app` (web/app.py) is loaded on first use rather than with the package: `python -m web` loads the
package before web/__main__.py runs, and only there is a Ctrl+C while Flask loads one Chinese line."""


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app
        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
