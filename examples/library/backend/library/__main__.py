"""``python -m library`` -> uvicorn library.main:app on 0.0.0.0:8000 (HOST/PORT override)."""

import os

import uvicorn


def main() -> None:  # pragma: no cover - thin launcher
    uvicorn.run(
        "library.main:app",
        host=os.environ.get("HOST", "0.0.0.0"),
        port=int(os.environ.get("PORT", "8000")),
    )


if __name__ == "__main__":  # pragma: no cover
    main()
