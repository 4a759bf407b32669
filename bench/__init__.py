"""The scale benchmark: ``python -m bench --scale small|medium|large`` (``make bench``).

``build`` fills a database of its own, ``scenarios`` says what is measured and against
which baseline, ``run`` measures in-process, ``load`` measures throughput under gunicorn,
``explain`` checks every API filter's plan, ``report`` writes docs/benchmarks.md.
"""
