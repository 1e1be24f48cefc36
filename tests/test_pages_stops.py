"""A run that stops early says why on "Your own data", which has no code of its own for it: the live panel shows the
reason in words above the page's results, even when not one epoch was trained."""

from core.lessons import own_data
from tests.apptest_support import open_page, run_until_stopped
from tests.test_advice import copied_columns_csv

PAGE = "pages/own_data.py"


def test_an_upload_that_blows_up_at_the_top_rate_says_why_and_which_rate_to_try():
    app = open_page(PAGE)
    app.get("file_uploader")[0].set_value(("copies.csv", copied_columns_csv(), "text/csv")).run()
    app.select_slider(key="dq_upload_lr").set_value(max(own_data.LEARNING_RATES)).run()
    app.button(key="dq_upload_train").click().run()
    run_until_stopped(app, "dq_upload")
    run = app.session_state["dq_upload_run"]
    assert run.failure == "blew_up" and run.epochs_done == 0 and not app.exception
    assert len(app.error) == 1
    text = app.error[0].value
    assert text.startswith("Training diverged in epoch 1 (so that epoch is not shown): with a learning rate of 0.1")
    assert "such as 0.01." in text
    assert app.get("progress")[0].proto.text.startswith("Epoch 0 of 100")
