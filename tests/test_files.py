"""The YAML / JSON assessment format: round trips, percent conversion, unknown fields,
unreadable files, and the JSON Schema (docs/FORMAT.md)."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings
from jsonschema import Draft202012Validator
from strategies import assessments, build

from aijri_xl import check, load
from aijri_xl.method.codec import assessment_from_data, assessment_to_data, schema
from aijri_xl.sources.assessment_file import (
    dump_json,
    dump_yaml,
    parse_document,
    write_assessment,
)

PROPERTY = settings(max_examples=200, deadline=None)


def reload(text: str, suffix: str):
    a, findings = assessment_from_data(parse_document(text, suffix))
    assert findings == []
    return a


def read(tmp_path, text: str, name: str = "a.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, load(path)


# ---------------------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize(("dump", "suffix"), [(dump_yaml, ".yaml"), (dump_json, ".json")])
def test_worked_example_round_trips(worked_example, dump, suffix):
    text = dump(worked_example)
    again = reload(text, suffix)
    assert again == worked_example
    assert dump(again) == text


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_write_then_load_gives_the_same_assessment(tmp_path, worked_example, suffix):
    path = tmp_path / f"hpc{suffix}"
    write_assessment(worked_example, path)
    loaded = load(path)
    assert loaded.findings == []
    assert loaded.kind == "file"
    assert loaded.assessment == worked_example
    if suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))


@given(assessments())
@PROPERTY
def test_random_assessments_round_trip_through_yaml(a):
    assert reload(dump_yaml(a), ".yaml") == a


@given(assessments())
@PROPERTY
def test_random_assessments_round_trip_through_json(a):
    assert reload(dump_json(a), ".json") == a


def test_dump_keeps_the_documented_key_order(worked_example):
    data = yaml.safe_load(dump_yaml(worked_example))
    assert list(data) == ["method", "role", "protective", "evidence", "barriers", "growth",
                          "tasks", "reinstatement_check", "override", "calibration",
                          "commentary"]
    assert list(data["tasks"][0]) == ["name", "time", "score", "class", "rationale"]


# ---------------------------------------------------------------------------------------
# Percentages: percent units in files, exact fractions in the model


@pytest.mark.parametrize(("text", "fraction"), [
    ("89.7", 0.897), ("7.4", 0.074), ("25", 0.25), ("0.01", 0.0001), ("100", 1.0),
    ("33.33", 0.3333), ("14.2", 0.142), ('"25%"', 0.25), ("'12.5'", 0.125),
])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_time_percent_becomes_the_exact_fraction(text, fraction, suffix):
    if suffix == ".json":
        text = text.replace("'", '"')
        doc = '{"tasks": [{"name": "t", "time": ' + text + ', "score": 2}]}'
    else:
        doc = f"tasks:\n- name: t\n  time: {text}\n  score: 2\n"
    a = reload(doc, suffix)
    assert a.tasks[0].time == fraction  # the same double as the literal, bit for bit


def test_percent_conversion_is_decimal_not_float_division():
    a = reload("tasks:\n- {name: t, time: 7.4, score: 2}\n", ".yaml")
    assert a.tasks[0].time == 0.074
    assert 7.4 / 100 == 0.07400000000000001  # what float division would have given
    assert dump_yaml(a).count("time: 7.4\n") == 1


def test_integer_scores_accept_whole_number_spellings():
    a = reload("growth: {correlation: '+1', check: 1.0}\n"
               "protective: {embodied_physicality: {score: '2'}}\n", ".yaml")
    assert a.growth.correlation == 1
    assert a.growth.check == 1
    assert a.protective["embodied_physicality"].score == 2


def test_class_names_are_read_case_insensitively():
    a = reload("tasks:\n- {name: a, time: 50, score: 1, class: not_involved}\n"
               "- {name: b, time: 50, score: 2, class: ' augmentation '}\n", ".yaml")
    assert [t.task_class for t in a.tasks] == ["NOT INVOLVED", "AUGMENTATION"]


def test_bare_scores_and_score_mappings_are_equivalent():
    bare = reload("evidence: {wage_trends: -1}\n", ".yaml")
    full = reload("evidence: {wage_trends: {score: -1}}\n", ".yaml")
    assert bare.evidence == full.evidence


# ---------------------------------------------------------------------------------------
# Format problems: reported with the path, never raised


@pytest.mark.parametrize(("doc", "path"), [
    ("colour: blue\n", "colour"),
    ("role: {title: x, salary: 3}\n", "role.salary"),
    ("tasks:\n- {name: a, time: 100, score: 2, weight: 3}\n", "tasks[0].weight"),
    ("tasks:\n- {name: a, time: 50, score: 2}\n- {name: b, time: 50, score: 2, klass: X}\n",
     "tasks[1].klass"),
    ("protective: {embodied_physicality: {score: 1, note: x}}\n",
     "protective.embodied_physicality.note"),
    ("evidence: {wage_trends: {score: 1, rationale: x}}\n", "evidence.wage_trends.rationale"),
    ("protective: {embodied_physicality: {score: 1, evidence: x}}\n",
     "protective.embodied_physicality.evidence"),
    ("evidence: {pay_trends: 1}\n", "evidence.pay_trends"),
    ("growth: {correlation: 1, confidence: high}\n", "growth.confidence"),
    ("override: {score: 40, justification: x, by: me}\n", "override.by"),
    ("calibration:\n- {role: x, score: 50, year: 2025}\n", "calibration[0].year"),
    ("commentary: {summary: x}\n", "commentary.summary"),
])
def test_unknown_field_is_e012_with_its_path(doc, path):
    _, findings = assessment_from_data(yaml.safe_load(doc))
    assert [(f.code, f.field) for f in findings] == [("AIJ-E012", path)]
    assert findings[0].severity == "error"


def test_unknown_fields_are_all_reported_and_the_file_is_named(tmp_path):
    path, loaded = read(tmp_path, "colour: blue\nrole: {title: x, salary: 3}\n")
    assert [(f.code, f.field, f.where) for f in loaded.findings] == [
        ("AIJ-E012", "colour", str(path)), ("AIJ-E012", "role.salary", str(path))]


@pytest.mark.parametrize(("doc", "path"), [
    ("tasks:\n- {name: a, time: 100, score: two}\n", "tasks[0].score"),
    ("tasks:\n- {name: a, time: 100, score: 2.5}\n", "tasks[0].score"),
    ("tasks:\n- {name: a, time: lots, score: 2}\n", "tasks[0].time"),
    ("tasks:\n- {name: a, time: true, score: 2}\n", "tasks[0].time"),
    ("tasks: {name: a}\n", "tasks"),
    ("growth: {correlation: yes}\n", "growth.correlation"),
    ("role: [a, b]\n", "role"),
    ("override: {score: high}\n", "override.score"),
    ("calibration: x\n", "calibration"),
])
def test_wrong_type_in_a_file_is_e002_with_its_path(doc, path):
    _, findings = assessment_from_data(yaml.safe_load(doc))
    assert [(f.code, f.field) for f in findings] == [("AIJ-E002", path)]


def test_missing_required_blocks_are_reported_by_the_rules(tmp_path):
    _, loaded = read(tmp_path, "method: AIJRI-1.0\n")
    assert loaded.findings == []
    found = {(f.code, f.field) for f in check(loaded.assessment)}
    assert ("AIJ-E001", "role.title") in found
    assert ("AIJ-E004", "tasks") in found
    assert ("AIJ-E001", "growth.correlation") in found
    assert ("AIJ-E001", "evidence.wage_trends.score") in found


@pytest.mark.parametrize(("text", "line"), [
    ("method: AIJRI-1.0\nrole:\n  title: x\ntasks:\n  - name: a\n    time: [1, 2\n"
     "    score: 3\n", 7),
    ("method: AIJRI-1.0\nrole: {title: x\n", 3),
    ("method: AIJRI-1.0\n\trole: x\n", 2),
    ("a: 1\n  b: 2\n", 2),
])
def test_malformed_yaml_is_f202_naming_file_and_line(tmp_path, text, line):
    path, loaded = read(tmp_path, text, "broken.yaml")
    assert loaded.assessment is None
    assert [f.code for f in loaded.findings] == ["AIJ-F202"]
    f = loaded.findings[0]
    assert str(path) in f.message
    assert f.where == f"{path}:{line}"
    assert f"{path}:{line}" in f.message


def test_malformed_json_is_f202_naming_file_and_line(tmp_path):
    path, loaded = read(tmp_path, '{"method": "AIJRI-1.0",\n "role": {"title": "x"},\n'
                                  ' "tasks": [,]}\n', "broken.json")
    assert [f.code for f in loaded.findings] == ["AIJ-F202"]
    f = loaded.findings[0]
    assert str(path) in f.message
    assert "line 3" in f.message
    assert f.where == f"{path}:3"


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "42\n", ""])
def test_a_document_that_is_not_a_mapping_is_f202(tmp_path, text):
    path, loaded = read(tmp_path, text)
    assert [f.code for f in loaded.findings] == ["AIJ-F202"]
    assert str(path) in loaded.findings[0].message


def test_non_utf8_file_is_f202(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("role: {title: Café}\n".encode("latin-1"))
    loaded = load(path)
    assert [f.code for f in loaded.findings] == ["AIJ-F202"]
    assert str(path) in loaded.findings[0].message


def test_missing_file_is_f201(tmp_path):
    path = tmp_path / "nowhere.yaml"
    loaded = load(path)
    assert loaded.assessment is None
    assert [f.code for f in loaded.findings] == ["AIJ-F201"]
    assert str(path) in loaded.findings[0].message
    assert loaded.findings[0].where == str(path)


def test_a_folder_is_f201(tmp_path):
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert [f.code for f in load(folder).findings] == ["AIJ-F201"]


def test_unsupported_suffix_is_f203(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text("x = 1\n", encoding="utf-8")
    assert [f.code for f in load(path).findings] == ["AIJ-F203"]


def test_byte_order_mark_is_accepted(tmp_path, worked_example_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + worked_example_path.read_bytes())
    assert load(path).findings == []


# ---------------------------------------------------------------------------------------
# JSON Schema


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    s = schema()
    Draft202012Validator.check_schema(s)
    return Draft202012Validator(s)


def test_schema_is_a_valid_draft_2020_12_schema():
    s = schema()
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(s)


def test_worked_example_validates_against_the_schema(validator, worked_example_path):
    data = yaml.safe_load(worked_example_path.read_text(encoding="utf-8"))
    assert list(validator.iter_errors(data)) == []


def test_dumped_worked_example_validates(validator, worked_example):
    assert list(validator.iter_errors(json.loads(dump_json(worked_example)))) == []


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d["tasks"][0].__setitem__("score", 6), ["tasks", 0, "score"]),
    (lambda d: d["tasks"][0].__setitem__("score", 0), ["tasks", 0, "score"]),
    (lambda d: d["tasks"][0].__setitem__("time", 0), ["tasks", 0, "time"]),
    (lambda d: d["tasks"][0].__setitem__("time", 100.5), ["tasks", 0, "time"]),
    (lambda d: d["tasks"][0].__setitem__("class", "REPLACED"), ["tasks", 0, "class"]),
    (lambda d: d["protective"]["embodied_physicality"].__setitem__("score", 4),
     ["protective", "embodied_physicality"]),
    (lambda d: d["evidence"].__setitem__("wage_trends", -3), ["evidence", "wage_trends"]),
    (lambda d: d["barriers"]["cultural_ethical"].__setitem__("score", 3),
     ["barriers", "cultural_ethical"]),
    (lambda d: d["growth"].__setitem__("correlation", 3), ["growth", "correlation"]),
    (lambda d: d["override"].__setitem__("score", 100.5), ["override", "score"]),
    (lambda d: d.__setitem__("method", "AIJRI-2.0"), ["method"]),
    (lambda d: d.__setitem__("colour", "blue"), []),
    (lambda d: d.__setitem__("tasks", []), ["tasks"]),
    (lambda d: d["role"].pop("title"), ["role"]),
])
def test_schema_rejects_invalid_documents(validator, worked_example_path, change, where):
    data = yaml.safe_load(worked_example_path.read_text(encoding="utf-8"))
    change(data)
    errors = list(validator.iter_errors(data))
    assert errors
    assert any(list(e.absolute_path) == where for e in errors), [
        (list(e.absolute_path), e.message) for e in errors]


@given(assessments(overrides=False))
@PROPERTY
def test_valid_assessments_validate_against_the_schema(validator, a):
    assert list(validator.iter_errors(json.loads(dump_json(a)))) == []


@pytest.mark.parametrize("override", [0.3, 52.3, 47.9])
def test_one_decimal_overrides_validate_against_the_schema(validator, override):
    a = build([("100", 2)], override=override)
    assert check(a) == []
    assert list(validator.iter_errors(json.loads(dump_json(a)))) == []


def test_schema_and_loader_agree_on_the_keys():
    """Every key the schema allows is one the loader reads, and the other way round."""
    s = schema()
    props = s["properties"]
    for key in props:
        _, findings = assessment_from_data({key: None})
        assert findings == [], key
    for key in props["tasks"]["items"]["properties"]:
        _, findings = assessment_from_data({"tasks": [{key: None}]})
        assert findings == [], key
    for block in ("protective", "evidence", "barriers"):
        for dim, sub in props[block]["properties"].items():
            object_form = sub["oneOf"][1]["properties"]
            for key in object_form:
                _, findings = assessment_from_data({block: {dim: {key: None}}})
                assert findings == [], (block, dim, key)
    for block in ("role", "growth", "override", "commentary"):
        for key in props[block]["properties"]:
            _, findings = assessment_from_data({block: {key: None}})
            assert findings == [], (block, key)


def test_assessment_to_data_omits_empty_text():
    data = assessment_to_data(build([("100", 2)]))
    assert "assessor" not in data
    assert "commentary" not in data
    assert data["tasks"] == [{"name": "Task 1", "time": 100, "score": 2,
                              "class": "AUGMENTATION"}]


# ---------------------------------------------------------------------------------------
# docs/FORMAT.md


def _format_md(repo_root) -> str:
    return (repo_root / "docs" / "FORMAT.md").read_text(encoding="utf-8")


def test_format_md_minimal_example_is_valid_and_scores_as_stated(repo_root, validator):
    from aijri_xl import score

    text = _format_md(repo_root)
    section = text.split("## A minimal assessment, annotated", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    data = yaml.safe_load(example)
    assert list(validator.iter_errors(data)) == []
    a, findings = assessment_from_data(data)
    assert findings == []
    assert check(a) == []
    r = score(a)
    stated = " ".join(section.split())
    assert f"JobZone score of {r.score}, {r.zone}, `{r.sub_label}`" in stated


def test_format_md_documents_every_key_of_the_schema(repo_root):
    text = _format_md(repo_root)
    props = schema()["properties"]
    keys = set(props)
    for block in ("role", "growth", "override", "commentary"):
        keys |= set(props[block]["properties"])
    keys |= set(props["tasks"]["items"]["properties"])
    keys |= set(props["calibration"]["items"]["properties"])
    for block in ("protective", "evidence", "barriers"):
        keys |= set(props[block]["properties"])
    for key in sorted(keys):
        assert f"`{key}`" in text, key
