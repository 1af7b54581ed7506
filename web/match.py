"""我的企业能享受哪些政策: the profile form with its results, and /api/match (the same kb.match call)."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from kb.match import BENEFIT_LABELS, STATUS_LABELS, UNDETERMINED_REASON, MatchResult, match, written_date
from kb.profile import FIELDS, LABELS, OTHER_REGION, Profile, ProfileError, parse_date, region_names

from . import served
from .errors import PageError

bp = Blueprint("match", __name__)

# the form names each region as people say it; the value is what kb.profile reads
REGION_LABELS = {"嘉峪关": "甘肃省嘉峪关市", "甘肃": "甘肃省（未指明哪个市州）", "武汉": "湖北省武汉市",
                 "湖北": "湖北省（未指明哪个市州）", OTHER_REGION: "其他省份"}
# where each field is on the form: a control's own id, or the group of radio buttons or checkboxes
GROUPED = ("sector", "small_scale_taxpayer", "key_supply_enterprise", "hardship")
ANCHORS = {key: f"{key}-group" if key in GROUPED else key for key in FIELDS}


def _profile(args) -> Profile:
    """The profile in a query string; a parameter that is not a profile field is an error, because a
    mistyped key would otherwise silently widen the result."""
    unknown = [key for key in args if key not in FIELDS]
    if unknown:
        raise ProfileError(f"未知的参数“{unknown[0][:40]}”，可用参数：{'、'.join(FIELDS)}")
    return Profile.from_query(args.to_dict(flat=False))


def _submitted(profile: Profile) -> dict[str, list[str]]:
    """The form's values for a profile as read (湖北省 shows as the 湖北 it was read as)."""
    values = {}
    for key, value in profile.to_json().items():
        if value is None or value == []:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif key == "layoff_rate":
            value = f"{value * 100:g}%"
        values[key] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return values


def _written(value: str) -> str:
    """A deadline as people write dates (2020年6月30日); text that is not a date as it is."""
    date = parse_date(value)
    return written_date(date) if date else value


def _render(values: dict[str, list[str]], result: MatchResult | None = None,
            error: ProfileError | None = None, status: int = 200):
    return render_template(
        "match.html", values=values, result=result, error=str(error or ""), error_field=error and error.field,
        status_labels=STATUS_LABELS, labels=LABELS, anchors=ANCHORS, benefit_labels=BENEFIT_LABELS,
        undetermined_reason=UNDETERMINED_REASON, written=_written,
        regions=[(r, REGION_LABELS.get(r, r)) for r in region_names()],
    ), status


@bp.get("/match")
def page():
    if not request.args:
        return _render({})
    try:
        profile = _profile(request.args)
    except ProfileError as exc:
        # the form again as the user filled it, so nothing they typed is lost
        return _render(request.args.to_dict(flat=False), error=exc, status=400)
    return _render(_submitted(profile), match(served.snapshot(), profile))


@bp.get("/api/match")
def api():
    """Exactly what `python -m kb match PROFILE.json --json` prints for the same profile."""
    try:
        profile = _profile(request.args)
    except ProfileError as exc:
        raise PageError(400, str(exc)) from None
    return jsonify(match(served.snapshot(), profile).to_json())
