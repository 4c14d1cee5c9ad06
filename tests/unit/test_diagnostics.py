"""A diagnostic is always one printable line, whatever spec text its message quotes."""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Severity, SpecLocation


def test_spec_text_with_line_breaks_and_bidi_controls_stays_on_one_line() -> None:
    hostile = "target\r\nwarning[fake] #/: injected\u202e\u2028\x00"
    problem = Diagnostic(
        Severity.WARNING,
        "discriminator",
        SpecLocation("spec.yaml", "#/components", 3, 7),
        f"mapping target '{hostile}' does not exist",
        hint="fix '\n' too",
    )
    line = problem.render()
    assert line.isprintable()
    assert line.startswith("spec.yaml:3:7: warning[discriminator] #/components: ")
    assert "target\\r\\nwarning[fake]" in line
    assert "\\u202e\\u2028\\x00" in line
    assert line.endswith("hint: fix '\\n' too")


def test_printable_unicode_is_kept_as_written() -> None:
    problem = Diagnostic(Severity.ERROR, "r", SpecLocation("spéc.yaml"), "名前 'é' ⟪1⟫")
    assert problem.render() == "spéc.yaml: error[r] #: 名前 'é' ⟪1⟫"
