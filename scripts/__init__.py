"""The maintainers' tools, one module each, run from the repository root as ``python -m scripts.NAME``.

run_notebooks (stored outputs and times, with timings: the timing table), check_notebooks (the stored-output
checks), browser_widgets (the widgets in a real browser) and time_widgets (the same, kernel side),
benchmark_training, benchmark_levers and final_recipe_trials (training measurements), train_source_model
(notebook 10's source model), make_images (the README's pictures), kernel_memory, colab_constraints and
set_repo. They import like any package: tests import them as ``from scripts import timings``.
"""
