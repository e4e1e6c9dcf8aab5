"""Chicago taxi tips: the notes' TFX Transform (notes L8060-8080) and a DNN classifier."""
