"""The notes' transfer learning, both stages in one Trainer (notes L7332-7572).

decode (160x160) -> RandomFlip('horizontal'), RandomRotation(0.2) -> preprocess_input
(to [-1, 1]; the notes define it but never apply it, catalogue bug 71) -> MobileNetV2
without its top, called with training=False (bug 72) -> GlobalAveragePooling2D ->
Dropout(0.2) -> Dense(1) logit.
Stage 1: the base frozen, Adam(1e-3). Stage 2: the base unfrozen from layer 100 on,
RMSprop(1e-4) (bug 73: `learning_rate`, not `lr`). Each stage gets half the steps.
ImageNet weights come from Keras applications when reachable (or already cached);
otherwise the base starts from random weights and the run summary says so.
"""

import os
from typing import List

import tensorflow as tf
import tensorflow_transform as tft
from absl import logging
from tfx.components.trainer.fn_args_utils import FnArgs

from data.image_records import JPEG_KEY
from modules.common import export, image_classifiers, trainer
from modules.common.features import transformed_name

IMAGE_SIZE = 160
BATCH_SIZE = 32
BASE_LEARNING_RATE = 1e-3
FINE_TUNE_AT = 100
TRANSFORMED_JPEG_KEY = transformed_name(JPEG_KEY)
BASE_NAME = "mobilenetv2_1.00_160"


def mobilenet_base() -> tuple[tf.keras.Model, str]:
    """MobileNetV2 without its top, with ImageNet weights if they can be had; and how it started."""
    shape = (IMAGE_SIZE, IMAGE_SIZE, 3)
    try:
        return tf.keras.applications.MobileNetV2(input_shape=shape, include_top=False, weights="imagenet"), "ImageNet weights"
    except Exception as error:  # no network and no cached weights: say so, go on
        message = f"ImageNet weights unreachable ({type(error).__name__}: {error}); random initial weights"
        logging.warning("MobileNetV2: %s", message)
        return tf.keras.applications.MobileNetV2(input_shape=shape, include_top=False, weights=None), message


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    layers = tf.keras.layers
    base, weights_note = mobilenet_base()
    base.trainable = False
    encoded = layers.Input(shape=(1,), dtype=tf.string, name=TRANSFORMED_JPEG_KEY)
    x = image_classifiers.decode_jpegs(IMAGE_SIZE)(encoded)
    x = tf.keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2)], name="augmentation")(x)
    x = tf.keras.applications.mobilenet_v2.preprocess_input(x)
    x = base(x, training=False)
    logit = layers.Dense(1)(layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(x)))
    model = tf.keras.Model(inputs={TRANSFORMED_JPEG_KEY: encoded}, outputs=logit)
    model.base_weights_note = weights_note
    _compile(model, tf.keras.optimizers.Adam(learning_rate=BASE_LEARNING_RATE))
    return model


def _compile(model: tf.keras.Model, optimizer) -> None:
    model.compile(
        optimizer=optimizer,
        loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.0)],
    )


def train_in_two_stages(model, train_dataset, eval_dataset, train_steps: int, eval_steps: int, log_dir: str) -> dict:
    """Stage 1 with the base frozen, then stage 2 fine-tuning from layer FINE_TUNE_AT on."""
    stage_steps = max(1, train_steps // 2)
    first = trainer.fit(model, train_dataset, eval_dataset, stage_steps, eval_steps, os.path.join(log_dir, "stage1"))
    base = model.get_layer(BASE_NAME)
    base.trainable = True
    for layer in base.layers[:FINE_TUNE_AT]:
        layer.trainable = False
    _compile(model, tf.keras.optimizers.RMSprop(learning_rate=BASE_LEARNING_RATE / 10))
    second = trainer.fit(model, train_dataset, eval_dataset, stage_steps, eval_steps, os.path.join(log_dir, "stage2"))
    model.stage_accuracy = (first["val_binary_accuracy"][-1], second["val_binary_accuracy"][-1])
    return {"stage1": first, "stage2": second}


def report(context: trainer.ReportContext) -> List[str]:
    stage1, stage2 = context.model.stage_accuracy
    return [
        f"Base: MobileNetV2 with {context.model.base_weights_note}",
        f"Eval-batch accuracy after stage 1 (frozen base): {stage1:.1%}; after stage 2 (fine-tuned from layer "
        f"{FINE_TUNE_AT}): {stage2:.1%}",
    ]


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=lambda tf_transform_output: export.sigmoid_predictions(from_logits=True),
    labels=image_classifiers.TRANSFORMED_LABEL_KEY,
    serving_feature_keys=(JPEG_KEY,),
    train_batch_size=BATCH_SIZE,
    eval_batch_size=BATCH_SIZE,
    report=report,
    train=train_in_two_stages,
)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
