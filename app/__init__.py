"""The Streamlit app: pages, cached data, the state module and shared panels over board/."""
