#!/usr/bin/env python3
"""Surprise's SVD (biased matrix factorisation by SGD) with the knobs of:

    {COMMAND}

Written by mf-playground. Needs `pip install scikit-surprise`. It reads train.csv and test.csv
beside it (the split the playground made: user,item,rating), trains, and prints one line of
JSON with the test RMSE and MAE, as the playground reports them.
"""
import json
import os

from surprise import SVD, Dataset, Reader, accuracy

HERE = os.path.dirname(os.path.abspath(__file__))

# The knobs, mapped:
N_FACTORS = {RANK}           # --factors
N_EPOCHS = {MAX_ITER}            # --epochs: one pass over the training ratings in both
LR_ALL = {LR}                # --lr: the same update, rating by rating
REG_ALL = {LAMBDA}           # --reg: the same L2 on factors and biases
INIT_STD_DEV = {INIT_STD}    # --init-std
BIASED = {BIASED}            # mu, b_u, b_i (--no-bias: False)
SEED = {SEED}                # --seed (Surprise's generator: other initial factors, another order)
# Surprise clips predictions to the rating scale, as the playground does.
SCALE = {SCALE}

reader = Reader(line_format="user item rating", sep=",", skip_lines=1, rating_scale=SCALE)
trainset = Dataset.load_from_file(os.path.join(HERE, "train.csv"), reader).build_full_trainset()
testset = Dataset.load_from_file(os.path.join(HERE, "test.csv"), reader).build_full_trainset().build_testset()
algo = SVD(n_factors=N_FACTORS, n_epochs=N_EPOCHS, lr_all=LR_ALL, reg_all=REG_ALL,
           init_std_dev=INIT_STD_DEV, biased=BIASED, random_state=SEED)
algo.fit(trainset)
predictions = algo.test(testset)
print(json.dumps({"test_rmse": accuracy.rmse(predictions, verbose=False),
                  "test_mae": accuracy.mae(predictions, verbose=False), "n_test": len(predictions)}))
