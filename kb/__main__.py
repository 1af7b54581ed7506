import sys

try:
    from .cli import main
except KeyboardInterrupt:       # Ctrl+C while the code loads: nothing has run yet; quiet, as a command interrupted later is
    sys.exit(130)

sys.exit(main())
