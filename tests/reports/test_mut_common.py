"""The shared planning-term parameter of the planning and training reports: empty by default
(the term of the period's last day), one choice per configured term, nothing else."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from reports.definitions import common


def test_the_term_parameter_defaults_to_the_term_of_the_last_day():
    param = common.term_param()
    assert param.name == "term" and param.default == ""
    assert param.clean(None) == "" and param.clean("") == ""


def test_the_term_parameter_offers_every_configured_term_and_nothing_else():
    param = common.term_param()
    names = [name for name, *_dates in settings.TERMS]
    assert [code for code, _label in param.choices] == ["", *names]
    assert param.clean(names[-1]) == names[-1]
    with pytest.raises(ValidationError):
        param.clean("1990-1995")
