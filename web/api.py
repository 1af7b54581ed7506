"""The JSON twins of the pages: /api/search, /api/doc/<id>, /api/areas."""
from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from kb import browse, periods, relations, remarks
from kb.citation import url
from kb.search import search
from kb.taxonomy import taxonomy

from . import docview, served
from .errors import PageError
from .params import search_args

bp = Blueprint("api", __name__)


@bp.get("/search")
def search_json():
    """Without extra parameters, exactly what `python -m kb search --json` prints."""
    args = search_args(request.args)
    facets = request.args.get("facets", "") in ("1", "true")
    result = search(served.library(), args["q"], args["filters"], args["limit"], args["page"], args["sort"],
                    facets=facets, limits=served.limits(), as_of=args["as_of"])
    return jsonify(result.to_json())


@bp.get("/doc/<doc_id>")
def document_json(doc_id: str):
    b = served.snapshot()
    doc = served.document(b, doc_id)
    data = doc.to_json()
    data.pop("source_path", None)   # a path on the server, of no use to a client
    data["url"] = url(doc.id)
    data["citation"] = docview.citation(doc)
    # the written relations as both documents see them (the front matter holds one side only)
    data["relations"] = [dict(link.to_json(), text=text, url=url(link.id) if link.id else "")
                         for link, text in relations.described(b, doc_id)]
    validity, period = periods.validity(b, doc), periods.document_period(b, doc_id)
    data["validity"] = {"status": validity.status, "reason": validity.reason, "derived": validity.derived}
    data["period"] = {"from": period.start.isoformat() if period.start else "",
                      "until": period.end.isoformat() if period.end else "",
                      "extended_by": period.extended_by, "text": period.text()}
    # `text` as written, the library's remarks (编者注) in place; apart, what is the document's and what the library's
    data["official_preamble"], data["preamble_remarks"] = remarks.official(doc.preamble), remarks.remarks(doc.preamble)
    for entry, clause in zip(data["clauses"], doc.clauses):
        entry["url"] = url(doc.id, clause.path)
        entry["citation"] = docview.citation(doc, clause.path)
        entry["official_text"], entry["remarks"] = clause.official_text, clause.remarks
    return jsonify(data)


@bp.get("/areas")
def areas_json():
    counts = browse.clause_counts(served.snapshot())
    return jsonify([dict(name=a.name, slug=a.slug, description=a.description, clauses=counts[a.name],
                         url=url_for("pages.area", slug=a.slug)) for a in taxonomy().areas])


@bp.route("/<path:unknown>")
def unknown_api(unknown: str):
    raise PageError(404, f"没有这个接口：/api/{unknown[:80]}。可用接口：/api/search、/api/doc/<id>、/api/areas、/api/match。")
