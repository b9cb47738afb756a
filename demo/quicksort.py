def quicksort(items):
    """Return a sorted copy of items."""
    if len(items) <= 1:
        return items
    pivot = items[len(items) // 2]
    left = [x for x in items if x < pivot]
    middle = [x for x in items if x == pivot]
    right = [x for x in items if x > pivot]
    return quicksort(left) + middle + quicksort(right)


def binary_search(items, target):
    """Return the index of target in the sorted list items, or -1."""
    
