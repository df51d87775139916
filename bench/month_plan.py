"""A busy month for the simulation: what the world and a seeded, fickle user do each day.

Every workday has a wake-up (the laptop opens between 08:35 and 09:10), two to four
meetings (video, audio-only, in person), lunch and coffee away from the desk, and on
some days a presentation (quiet), a pause, or a pause until tomorrow; the laptop
sleeps every evening and over the weekend. A prompt is answered after a few seconds to
two minutes: started, snoozed, skipped or ignored; a routine's rep steps are ended
with Next, and now and then a routine is cut short with Done. The same seed gives the
same month.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import Enum

from movebreak.core.agenda import Meeting
from movebreak.core.meetings import MeetingKind


class Act(Enum):
    """What happens at a moment of the plan (besides the timetable's own wake-ups)."""

    AWAY = "away"  # the user leaves the desk (noticed after the natural break)
    BACK = "back"
    QUIET = "quiet"  # a presentation starts
    QUIET_ENDED = "quiet_ended"
    PAUSE = "pause"  # for ``length``, or until tomorrow when it is None
    SLEEP = "sleep"  # the laptop sleeps until ``until``
    ANSWER = "answer"  # the user answers the prompt that is showing
    NEXT = "next"  # Next on a rep step of the running routine
    DONE = "done"  # Done on the running routine, before its end


class Answer(Enum):
    START = "start"
    SNOOZE = "snooze"
    SKIP = "skip"
    IGNORE = "ignore"


@dataclass(order=True)
class Happening:
    """One planned moment; ``order`` keeps simultaneous ones in the order they were made."""

    at: datetime
    order: int
    act: Act = field(compare=False)
    since: datetime | None = field(default=None, compare=False)
    until: datetime | None = field(default=None, compare=False)
    length: timedelta | None = field(default=None, compare=False)
    answer: Answer | None = field(default=None, compare=False)
    target: object = field(default=None, compare=False)  # the prompt or session answered


@dataclass
class Day:
    """One workday's plan: its meetings and its happenings, including the evening sleep."""

    meetings: tuple[Meeting, ...]
    happenings: list[Happening]


class MonthPlan:
    """Day plans and the user's answers, from one seeded random generator."""

    def __init__(self, tz: tzinfo, seed: int) -> None:
        self.tz = tz
        self.rng = random.Random(seed)
        self._order = 0

    def happening(self, at: datetime, act: Act, **details: object) -> Happening:
        self._order += 1
        return Happening(at, self._order, act, **details)  # type: ignore[arg-type]

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    def wake(self, day: date) -> datetime:
        """When the laptop opens on ``day``."""
        return self.local(day, 8, 35) + timedelta(minutes=self.rng.randrange(36))

    def next_workday(self, day: date) -> date:
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    def day(self, day: date) -> Day:
        """The plan of workday ``day``, ending with the sleep until the next workday."""
        rng, plan = self.rng, []
        meetings = []
        for slot in sorted(rng.sample(range(2, 16), rng.randint(2, 4))):  # half hours 10:00-
            start = self.local(day, 9, 0) + timedelta(minutes=30 * slot)
            length = timedelta(minutes=rng.choice((30, 30, 60)))
            kind = rng.choices((MeetingKind.VIDEO, MeetingKind.AUDIO, MeetingKind.IN_PERSON),
                               (5, 3, 2))[0]
            meetings.append(Meeting(start, start + length, kind, f"{kind.value} {slot}"))
        lunch = self.local(day, 12, 10) + timedelta(minutes=rng.randrange(30))
        plan += self._away(lunch, timedelta(minutes=rng.randrange(30, 61)))
        for _ in range(rng.randint(0, 2)):
            coffee = self.local(day, 10) + timedelta(minutes=rng.randrange(6 * 60))
            plan += self._away(coffee, timedelta(minutes=rng.randrange(4, 16)))
        if rng.random() < 0.1:
            talk = self.local(day, 14) + timedelta(minutes=rng.randrange(120))
            plan += [self.happening(talk, Act.QUIET),
                     self.happening(talk + timedelta(minutes=30), Act.QUIET_ENDED)]
        if rng.random() < 0.2:
            at = self.local(day, 10) + timedelta(minutes=rng.randrange(6 * 60))
            plan.append(self.happening(at, Act.PAUSE, length=timedelta(hours=1)))
        if rng.random() < 0.05:
            plan.append(self.happening(self.local(day, 16, 30), Act.PAUSE, length=None))
        evening = self.local(day, 18, 10) + timedelta(minutes=rng.randrange(50))
        until = self.wake(self.next_workday(day))
        plan.append(self.happening(evening, Act.SLEEP, until=until))
        return Day(tuple(meetings), sorted(plan))

    def _away(self, start: datetime, length: timedelta) -> list[Happening]:
        """Leaving at ``start``: the presence watch notices after two minutes of idle."""
        noticed = start + timedelta(minutes=2)
        if length <= timedelta(minutes=2):
            return []
        return [self.happening(noticed, Act.AWAY, since=start),
                self.happening(start + length, Act.BACK)]

    def answer(self, now: datetime, prompt: object) -> Happening:
        """How and when the user answers a prompt that just appeared."""
        choice = self.rng.choices(list(Answer), (55, 15, 10, 20))[0]
        delay = timedelta(seconds=self.rng.randrange(5, 121))
        return self.happening(now + delay, Act.ANSWER, answer=choice, target=prompt)

    def rep_done(self, now: datetime, session: object) -> Happening:
        """Next on a rep step, a few seconds after its suggested time ran out."""
        return self.happening(now + timedelta(seconds=self.rng.randrange(2, 21)), Act.NEXT,
                              target=session)

    def maybe_cut_short(self, now: datetime, planned: timedelta,
                        session: object) -> Happening | None:
        """One routine in ten ends early with Done."""
        if self.rng.random() >= 0.1:
            return None
        at = now + planned * self.rng.uniform(0.2, 0.9)
        return self.happening(at, Act.DONE, target=session)
