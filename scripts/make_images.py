#!/usr/bin/env python3
"""Render the README's pictures from the course's own code into images/.

    python -m scripts.make_images
"""

from pathlib import Path

from course_utils.widgets import PerceptronPlayground, PerceptronTrainer

IMAGES = Path(__file__).resolve().parent.parent / "images"


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    playground = PerceptronPlayground(gate="XOR", w1=1.0, w2=1.0, b=-0.5)
    (IMAGES / "perceptron_playground_xor.png").write_bytes(playground.plot.png)
    trainer = PerceptronTrainer(gate="AND", learning_rate=0.1, epochs=20)
    (IMAGES / "perceptron_trainer_and.png").write_bytes(trainer.plot.png)
    print("wrote", ", ".join(sorted(p.name for p in IMAGES.glob("*.png"))))


if __name__ == "__main__":
    main()
