"""Launch the FOI Assistant web app: python app.py [--host H] [--port P] [--data-dir D]."""
from assistant.web.app import main

if __name__ == "__main__":
    main()
