"""GUI start-up: QApplication, Chinese translations, fonts, the main window."""

from __future__ import annotations

import argparse
import sys


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from app import APP_NAME
    from app.services import build_services
    from app.storage import open_database

    app = QApplication.instance() or QApplication(sys.argv)
    db = open_database(args.data_dir)
    services = build_services(db, data_dir=db.data_dir)
    window = QMainWindow()
    window.setWindowTitle(f"{APP_NAME} — {services.masterdata.settings().bureau_name}")
    window.setCentralWidget(QLabel("主窗口建设中"))
    window.resize(1366, 768)
    window.show()
    return app.exec()
