# cmake -DDIR=PATH -P fresh_dir.cmake: PATH emptied (made if missing).
file(REMOVE_RECURSE ${DIR})
file(MAKE_DIRECTORY ${DIR})
