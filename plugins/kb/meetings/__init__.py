"""The convenor's cycle: minutes and their actions, matters arising, organisations and attendance,
the convenor's checks, the action tracker and the meeting pages."""
