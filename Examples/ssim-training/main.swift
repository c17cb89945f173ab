print("The training example is not written yet.")
