"""The watching machine: engine (one round), monitor (confirmed changes, alerts), scheduler, loops."""
