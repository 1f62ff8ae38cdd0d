"""Settings: the database in use and the import history."""

import streamlit as st

from kam_core.config import db_path
from ui.frame import page
from ui.history import import_history

conn = page("Settings", needs_data=False)
st.subheader("Database")
st.text(str(db_path()))
st.subheader("Imports")
import_history(conn)
