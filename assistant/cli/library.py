"""foi-assistant library list|share|remove: the operator's view of the library."""
from __future__ import annotations

import json

NAME = "library"
HELP = ("The operator's library tools: list every document (with whose upload it is), move a visitor's "
        "upload into the shared library, or remove a document.")


def add_arguments(p):
    p.add_argument("action", choices=["list", "share", "remove"],
                   help="list the documents; share DOC_ID with every visitor; remove DOC_ID")
    p.add_argument("doc_id", nargs="?", help="the document id (for share and remove)")
    p.add_argument("--json", action="store_true", help="print JSON (list)")


def run(args) -> int:
    from ..engine import Engine
    from . import settings_from

    if args.action != "list" and not args.doc_id:
        raise ValueError(f"library {args.action} needs a DOC_ID (see: foi-assistant library list)")
    engine = Engine(settings_from(args))
    docs = engine.index.documents()
    if args.action == "list":
        if args.json:
            print(json.dumps(docs, indent=2, ensure_ascii=False))
        else:
            for d in docs:
                whose = "built in" if d["origin"] == "builtin" else (f"upload of {d['owner']}" if d["owner"] else "shared")
                print(f"{d['doc_id']}\t{d['kind']}\t{d['chunks']}\t{whose}\t{d['title']}")
        return 0
    doc = next((d for d in docs if d["doc_id"] == args.doc_id), None)
    if doc is None:
        raise ValueError(f"no document {args.doc_id!r} in the library")
    if args.action == "share":
        n = engine.index.share_document(args.doc_id)
        print(f"shared {args.doc_id} ({n} passages): every visitor now sees it")
    else:
        if doc["origin"] == "builtin":
            raise ValueError(f"{args.doc_id} is part of the built-in corpus; remove its file from corpus/ instead")
        n = engine.index.delete_document(args.doc_id)
        print(f"removed {args.doc_id} ({n} passages)")
    return 0
