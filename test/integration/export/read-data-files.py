"""Reads exported tables the way a user's script would (pandas), for data-files.test.ts.

argv[1]: a folder of NAME.csv and NAME.json. Prints one JSON object per table name: the CSV's column
names and dtype kinds, its values (NaN as null), and the columns where the JSON, read with json.load
and pd.DataFrame, differs from the CSV.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype


def values(series):
    numeric = is_numeric_dtype(series.dtype)
    return [None if pd.isna(v) else (float(v) if numeric else str(v)) for v in series.tolist()]


def same(a, b):
    if is_numeric_dtype(a.dtype) and is_numeric_dtype(b.dtype):
        return bool(np.allclose(a.to_numpy(dtype=float), b.to_numpy(dtype=float), rtol=1e-12, atol=0, equal_nan=True))
    return [None if pd.isna(v) else v for v in a.tolist()] == [None if pd.isna(v) else v for v in b.tolist()]


out = {}
folder = sys.argv[1]
for name in sorted(f[:-4] for f in os.listdir(folder) if f.endswith('.csv')):
    csv = pd.read_csv(os.path.join(folder, name + '.csv'), encoding='utf-8')
    with open(os.path.join(folder, name + '.json'), encoding='utf-8') as f:
        doc = json.load(f)
    keys = [c['key'] for c in doc['columns']]
    frame = pd.DataFrame(doc['rows'], columns=keys)
    out[name] = {
        'columns': list(csv.columns),
        'rows': len(csv),
        'kinds': {c: ('numeric' if is_numeric_dtype(csv[c].dtype) else 'object') for c in csv.columns},
        'values': {c: values(csv[c]) for c in csv.columns},
        'jsonDiffers': [c for c in keys if c not in csv.columns or len(frame) != len(csv) or not same(csv[c], frame[c])],
    }
print(json.dumps(out, allow_nan=False))
