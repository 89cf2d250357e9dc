"""Excel reports (openpyxl): the 问责统计月报 and the case ledger (台账), DESIGN §6."""
