"""Qt only: windows, models, wizard pages, dialogs, workers."""
