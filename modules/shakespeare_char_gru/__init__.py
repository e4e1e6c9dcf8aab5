"""Character-level text generation with a GRU on Tiny Shakespeare (notes M13, L5828-6029)."""

from data import char_sequences
from modules.common.model_spec import Metric, ModelSpec
from modules.shakespeare_char_gru import features

MODEL = ModelSpec(
    task="sequence generation: next-character language model (GRU) on Tiny Shakespeare",
    notes_result="none quoted; an untrained model's loss is about ln(66) = 4.19 (perplexity 66)",
    data_sources={"shared": char_sequences.shared, "download": char_sequences.downloaded},
    gated_metric=Metric("Perplexity", higher_is_better=False, module="modules.shakespeare_char_gru.metrics"),
    reported_metrics=(Metric("SparseCategoricalAccuracy"),),
    label_key=features.TARGET_IDS_KEY,
    prediction_key="scores",
    default_threshold=15.0,
    train_steps=300,
    eval_steps=5,
    # the notes' EPOCHS = 20 (L5968) over the train split at batch 64: 20 x 8,283 / 64 = 2,588
    full_train_steps=2590,
    example_format="tfrecord",
)
