"""MobileNetV2 transfer learning and fine-tuning on cats vs dogs (notes L7332-7572)."""
