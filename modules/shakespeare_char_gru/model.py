"""The notes' character-level GRU (TF tutorial "Text generation with an RNN", notes L5914-5961).

Embedding -> GRU(return_sequences) -> Dense(vocabulary) logits at every position, trained
with sparse categorical cross-entropy from logits and Adam, batch 64. The notes' size
(Embedding 256, GRU 1024) is built at `--full`; the default is a smaller network, so a
default run trains in minutes on a CPU.

Serving: the shared signatures return `scores` (next-character probabilities at each of
the 100 positions) and `classes` (the most likely next character there); `generate` is
the notes' OneStep loop (L5971-6029) made a signature (see `generate_signature`).
"""

import dataclasses
import functools
from typing import Dict, List

import numpy as np
import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from modules.common import export, trainer
from modules.shakespeare_char_gru import features
from modules.shakespeare_char_gru.metrics import PERPLEXITY, Perplexity

BATCH_SIZE = 64  # notes L5902
GENERATE = "generate"
# The notes' sample: 'ROMEO:' at temperature 1.0 (L6016-6020); 200 characters keep the report short.
SAMPLE_PROMPT = "ROMEO:"
SAMPLE_CHARACTERS = 200
SAMPLE_TEMPERATURE = 1.0
SAMPLE_SEED = 7


@dataclasses.dataclass(frozen=True)
class NetworkSize:
    embedding_dim: int
    rnn_units: int


NOTES_SIZE = NetworkSize(embedding_dim=256, rnn_units=1024)  # notes L5911-5912
DEFAULT_SIZE = NetworkSize(embedding_dim=64, rnn_units=256)


def vocabulary_size(tf_transform_output: tft.TFTransformOutput) -> int:
    """Characters in Transform's vocabulary plus the OOV ([UNK]) id, which comes last: the
    notes' `len(ids_from_chars.get_vocabulary())` (L5932; L5910's `vocab_size = vocab` is
    catalogue bug 80)."""
    return tf_transform_output.vocabulary_size_by_name(features.VOCABULARY_NAME) + features.OOV_BUCKETS


def build_keras_model(tf_transform_output: tft.TFTransformOutput, size: NetworkSize = DEFAULT_SIZE) -> tf.keras.Model:
    """Functional, so that `generate` can step its trained layers one character at a time.

    The GRU returns its state as the notes' does; the model uses only the sequence. It is
    unrolled over the 100 positions: TFLite's converter cannot lower the TensorList ops
    of the GRU's while loop when the batch size is unknown, as in `transformed_predict`
    ("Lowering tensor list ops is failed"); unrolled, it converts with builtins only.
    Training uses a looped twin (`fit_looped`).
    """
    layers = tf.keras.layers
    vocabulary = vocabulary_size(tf_transform_output)
    input_ids = layers.Input(shape=(features.SEQUENCE_LENGTH,), dtype=tf.int64, name=features.INPUT_IDS_KEY)
    embedded = layers.Embedding(vocabulary, size.embedding_dim, name="embedding")(input_ids)
    gru = layers.GRU(size.rnn_units, return_sequences=True, return_state=True, unroll=True, name="gru")
    sequence, _ = gru(embedded)
    logits = layers.Dense(vocabulary, name="logits")(sequence)
    return compile_model(tf.keras.Model(input_ids, logits))


def compile_model(model: tf.keras.Model) -> tf.keras.Model:
    """The notes' compile (L5954-5961): cross-entropy from logits, Adam; next-character
    accuracy and perplexity beside it."""
    model.compile(
        optimizer="adam",
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.SparseCategoricalAccuracy(), Perplexity(from_logits=True)],
    )
    return model


def looped_layer(layer: tf.keras.layers.Layer) -> tf.keras.layers.Layer:
    """A fresh copy of `layer` (clone_model's clone_function), a GRU looping, not unrolled."""
    config = layer.get_config()
    if isinstance(layer, tf.keras.layers.GRU):
        config["unroll"] = False
    return layer.__class__.from_config(config)


def fit_looped(
    model: tf.keras.Model,
    train_dataset: tf.data.Dataset,
    eval_dataset: tf.data.Dataset,
    train_steps: int,
    eval_steps: int,
    log_dir: str,
) -> Dict[str, list]:
    """Trains a twin of `model` whose GRU loops, then gives `model` its weights.

    The two compute the same function with the same weights; the unrolled graph only
    takes much longer to trace for training (the first epoch of a default run: 109 s
    against 11 s, measured), and the looped one can use cuDNN on a GPU.
    """
    looped = compile_model(tf.keras.models.clone_model(model, clone_function=looped_layer))
    history = trainer.fit(looped, train_dataset, eval_dataset, train_steps, eval_steps, log_dir)
    model.set_weights(looped.get_weights())
    return history


def characters_of(tf_transform_output: tft.TFTransformOutput) -> List[bytes]:
    """The vocabulary's characters (UTF-8) in id order; the OOV id has none."""
    code_points = tf_transform_output.vocabulary_by_name(features.VOCABULARY_NAME)
    return [chr(int(code_point)).encode("utf-8") for code_point in code_points]


def next_character_predictions(tf_transform_output: tft.TFTransformOutput) -> export.PredictionsFn:
    """Logits [batch, 100, vocabulary] -> `scores` (probabilities) and `classes` (the most
    likely next character at each position, [batch, 100])."""
    characters = tf.constant(characters_of(tf_transform_output) + [b""])

    def predictions(logits: tf.Tensor) -> Dict[str, tf.Tensor]:
        scores = tf.nn.softmax(logits)
        return {"scores": scores, "classes": tf.gather(characters, tf.argmax(scores, axis=-1))}

    return predictions


def generate_signature(
    model: tf.keras.Model, tf_transform_output: tft.TFTransformOutput
) -> Dict[str, tf.types.experimental.ConcreteFunction]:
    """`generate`: prompts [batch], num_chars, temperature, seed -> `text`, each prompt
    followed by num_chars sampled characters.

    The notes' OneStep: the GRU cell reads the prompt into its state (a shorter prompt's
    state stays put past its end), then each step samples the next character from the
    logits divided by the temperature, with [UNK] set to -inf (notes L5980, with
    `['[UNK]']` as catalogue bug 82 corrects it), and feeds it back through the trained
    embedding, GRU cell and dense layer, carrying the state from step to step (the
    notes' `return predicted_chars, states`, L6010-6012, re-indented: catalogue bug 83).
    `tf.random.stateless_categorical` seeded by (seed, step) makes the text a function of
    its inputs.
    """
    characters = characters_of(tf_transform_output)
    unknown_id = len(characters)
    # Code point -> id, from Transform's vocabulary file (a SavedModel asset); tracked by
    # the model so that the SavedModel keeps it.
    model.character_ids = tf.lookup.StaticHashTable(
        tf.lookup.TextFileInitializer(
            tf_transform_output.vocabulary_file_by_name(features.VOCABULARY_NAME),
            tf.int64,
            tf.lookup.TextFileIndex.WHOLE_LINE,
            tf.int64,
            tf.lookup.TextFileIndex.LINE_NUMBER,
        ),
        default_value=unknown_id,
    )
    embedding, gru, dense = (model.get_layer(name) for name in ("embedding", "gru", "logits"))
    unknown_mask = tf.one_hot(unknown_id, unknown_id + 1, on_value=-np.inf, off_value=0.0)

    @tf.function(
        input_signature=[
            tf.TensorSpec([None], tf.string, name="prompt"),
            tf.TensorSpec([], tf.int32, name="num_chars"),
            tf.TensorSpec([], tf.float32, name="temperature"),
            tf.TensorSpec([], tf.int64, name="seed"),
        ]
    )
    def generate(prompt, num_chars, temperature, seed):
        # The checks run before anything reads their inputs: without the dependency the
        # sampler could first fail on the NaN logits a zero temperature makes.
        checks = [
            tf.debugging.assert_non_negative(num_chars, message="num_chars must be >= 0"),
            tf.debugging.assert_positive(temperature, message="temperature must be > 0"),
        ]
        with tf.control_dependencies(checks):
            num_chars, temperature = tf.identity(num_chars), tf.identity(temperature)
        code_points = tf.cast(tf.strings.unicode_decode(prompt, "UTF-8"), tf.int64)
        prompt_ids = tf.ragged.map_flat_values(model.character_ids.lookup, code_points)
        padded = prompt_ids.to_tensor(default_value=unknown_id)
        lengths = prompt_ids.row_lengths()

        def next_state(ids, state):
            _, (state,) = gru.cell(embedding(ids), [state])
            return state

        def read(index, state):
            return index + 1, tf.where((index < lengths)[:, tf.newaxis], next_state(padded[:, index], state), state)

        # An empty prompt leaves the GRU's initial (zero) state.
        initial = (tf.constant(0, tf.int64), tf.zeros([tf.shape(prompt)[0], gru.cell.units]))
        _, state = tf.while_loop(lambda index, _: index < tf.shape(padded, tf.int64)[1], read, initial)
        characters_table = tf.constant(characters + [b""])

        def write(index, state, text):
            logits = dense(state) / temperature + unknown_mask
            next_ids = tf.random.stateless_categorical(logits, 1, seed=tf.stack([seed, tf.cast(index, tf.int64)]))[:, 0]
            return index + 1, next_state(next_ids, state), text + tf.gather(characters_table, next_ids)

        _, _, text = tf.while_loop(lambda index, *_: index < num_chars, write, (tf.constant(0), state, prompt))
        return {"text": text}

    return {GENERATE: generate.get_concrete_function()}


def unigram_perplexity(train_split: tf.data.Dataset, vocabulary: int) -> float:
    """exp(entropy) of the training split's next-character frequencies: the perplexity of
    a model that learned nothing but how often each character occurs."""
    counts = np.zeros(vocabulary, np.int64)
    for _, targets in train_split:
        counts += np.bincount(targets.numpy().ravel(), minlength=vocabulary)
    frequencies = counts[counts > 0] / counts.sum()
    return float(np.exp(-np.sum(frequencies * np.log(frequencies))))


def report(context: trainer.ReportContext) -> List[str]:
    """Eval accuracy and perplexity against the unigram baseline, and a sample from the
    exported `generate` (what a served model writes)."""
    evaluated = context.model.evaluate(context.eval_split, return_dict=True, verbose=0)
    baseline = unigram_perplexity(context.train_split, vocabulary_size(context.tf_transform_output))
    generate = tf.saved_model.load(context.serving_model_dir).signatures[GENERATE]
    sample = generate(
        prompt=tf.constant([SAMPLE_PROMPT]),
        num_chars=tf.constant(SAMPLE_CHARACTERS),
        temperature=tf.constant(SAMPLE_TEMPERATURE),
        seed=tf.constant(SAMPLE_SEED, tf.int64),
    )["text"][0].numpy().decode("utf-8")
    return [
        f"Next character on the eval split (Keras' evaluate): accuracy {evaluated['sparse_categorical_accuracy']:.1%}, "
        f"perplexity {evaluated[PERPLEXITY]:.2f} against the unigram baseline {baseline:.1f} "
        "(the training split's character frequencies)",
        f"Sample: generate({SAMPLE_PROMPT!r}, num_chars={SAMPLE_CHARACTERS}, temperature={SAMPLE_TEMPERATURE}, "
        f"seed={SAMPLE_SEED}):",
        *(f"| {line}" for line in sample.split("\n")),
    ]


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=next_character_predictions,
    labels=features.TARGET_IDS_KEY,
    serving_feature_keys=features.SERVING_FEATURE_KEYS,
    train_batch_size=BATCH_SIZE,
    eval_batch_size=BATCH_SIZE,
    report=report,
    train=fit_looped,
    extra_signatures=generate_signature,
)
FULL_TRAINER = dataclasses.replace(TRAINER, build_model=functools.partial(build_keras_model, size=NOTES_SIZE))


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, FULL_TRAINER if trainer.full_size_from(fn_args.custom_config) else TRAINER)
