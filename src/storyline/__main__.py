from storyline.entry import main

main()
