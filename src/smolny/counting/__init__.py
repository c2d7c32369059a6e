"""Vote counting: grouped ballot profiles, Scottish STV, Meek STV, IRV, Schulze, approval,
plurality and divisor methods, with BLT/PrefLib/CSV readers. Pure Python + numpy, no Django."""
