"""Dense(1) trained with the notes' Huber loss (threshold 1) and SGD, and an MSE twin.

The report trains the same model with MSE on the same batches for the same steps, so
the two fits can be compared with the generator's true line.
"""

from typing import Callable, List

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from data import synthetic
from modules.common import export, signatures, trainer
from modules.huber_regression import features

BATCH_SIZE = 256  # the whole train split per step, as Keras did with the notes' 6 points
LEARNING_RATE = 0.01  # Keras' default SGD rate, what the notes' optimizer='sgd' gets
HUBER_THRESHOLD = 1.0
LINE_LAYER = "line"


def huber_loss(threshold: float = HUBER_THRESHOLD) -> Callable[[tf.Tensor, tf.Tensor], tf.Tensor]:
    """The notes' `my_loss_function`: e^2/2 where |e| <= threshold, else threshold*(|e| - threshold/2).

    A closure, so the threshold is configurable (the catalogue's note on L8721-8728).
    """

    def loss(y_true: tf.Tensor, y_pred: tf.Tensor) -> tf.Tensor:
        error = y_true - y_pred
        is_small = tf.abs(error) <= threshold
        return tf.where(is_small, tf.square(error) / 2, threshold * (tf.abs(error) - threshold / 2))

    return loss


def build_line_model(loss) -> tf.keras.Model:
    """`Dense(units=1, input_shape=[1])` from the notes, compiled with `loss`."""
    inputs = tf.keras.layers.Input(shape=(1,), name=features.TRANSFORMED_FEATURE_KEY)
    model = tf.keras.Model(inputs={features.TRANSFORMED_FEATURE_KEY: inputs}, outputs=tf.keras.layers.Dense(1, name=LINE_LAYER)(inputs))
    model.compile(
        optimizer=tf.keras.optimizers.SGD(LEARNING_RATE),
        loss=loss,
        metrics=[tf.keras.metrics.MeanAbsoluteError()],
    )
    return model


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    return build_line_model(huber_loss())


def _line(model: tf.keras.Model) -> tuple[float, float]:
    kernel, bias = model.get_layer(LINE_LAYER).get_weights()
    return float(kernel[0, 0]), float(bias[0])


def report(context: trainer.ReportContext) -> List[str]:
    mse_model = build_line_model(tf.keras.losses.MeanSquaredError())
    mse_model.fit(context.train_dataset, steps_per_epoch=context.train_steps, epochs=1, verbose=0)
    truth = (synthetic.HUBER_TRUE_SLOPE, synthetic.HUBER_TRUE_INTERCEPT)
    lines = []
    for name, model in (("Huber", context.model), ("MSE", mse_model)):
        slope, intercept = _line(model)
        lines.append(
            f"{name + ' fit:':<10} y = {slope:.4f}x {intercept:+.4f}  "
            f"(slope error {abs(slope - truth[0]):.4f}, intercept error {abs(intercept - truth[1]):.4f})"
        )
    served = tf.saved_model.load(context.serving_model_dir).signatures[signatures.SERVING_RAW]
    at_ten = float(served(x=tf.constant([10.0]))["predictions"].numpy()[0, 0])
    lines.append(f"Served model: predict(10) = {at_ten:.3f} (true line: {truth[0] * 10 + truth[1]:g})")
    return lines


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=lambda tf_transform_output: export.regression_predictions(),
    labels=features.TRANSFORMED_LABEL_KEY,
    serving_feature_keys=(features.FEATURE_KEY,),
    train_batch_size=BATCH_SIZE,
    eval_batch_size=BATCH_SIZE,
    report=report,
)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
