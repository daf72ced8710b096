"""python -m evals run ... (the officer and requester tasks on known responses) or
python -m evals chat ... (the chat on questions people ask)."""
import sys

if len(sys.argv) > 1 and sys.argv[1] == "chat":
    from .chat import main as chat

    sys.exit(chat(sys.argv[2:]))
from .run import main

sys.exit(main())
